<?php
/**
 * The editor script's dependencies: WordPress's own globals, so it needs no build step.
 *
 * @package VrTour
 */

return array(
	'dependencies' => array( 'wp-blocks', 'wp-element', 'wp-block-editor', 'wp-components', 'wp-i18n', 'wp-server-side-render' ),
	'version'      => '0.1.0',
);
