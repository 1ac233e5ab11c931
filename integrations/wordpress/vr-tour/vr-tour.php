<?php
/**
 * Plugin Name:       VR Tour
 * Description:       Embeds 360° tours from a vr-tour server: paste a tour's URL on its own line, use the [vr_tour] shortcode, or the VR Tour block.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * License:           MIT
 * Text Domain:       vr-tour
 *
 * @package VrTour
 */

defined( 'ABSPATH' ) || exit;

define( 'VR_TOUR_VERSION', '0.1.0' );

require_once __DIR__ . '/includes/embed.php';
require_once __DIR__ . '/includes/oembed.php';
require_once __DIR__ . '/includes/shortcode.php';
require_once __DIR__ . '/includes/settings.php';

add_action( 'init', 'vr_tour_register_oembed_provider' );
add_action( 'init', 'vr_tour_register_shortcode' );
add_action( 'init', 'vr_tour_register_block' );
add_action( 'admin_init', 'vr_tour_register_settings' );
add_action( 'admin_menu', 'vr_tour_add_settings_page' );

/**
 * Registers the block; the server renders it (the same iframe as the shortcode).
 */
function vr_tour_register_block() {
	register_block_type(
		__DIR__ . '/block',
		array(
			'render_callback' => 'vr_tour_render_block',
		)
	);
}
