<?php
/**
 * The tour server's address and the iframe that shows a tour.
 *
 * @package VrTour
 */

defined( 'ABSPATH' ) || exit;

/**
 * What the iframe may use, as the server's own oEmbed iframe asks: full
 * screen, looking around by moving the phone, and VR headsets.
 */
const VR_TOUR_IFRAME_ALLOW = 'fullscreen; gyroscope; accelerometer; xr-spatial-tracking';

/**
 * The tour server's origin (scheme, host and port, no trailing slash), or '' when none is set.
 *
 * @return string
 */
function vr_tour_server() {
	return untrailingslashit( (string) get_option( 'vr_tour_host', '' ) );
}

/**
 * Whether a string is a tour id (a UUID).
 *
 * @param string $id The candidate.
 * @return bool
 */
function vr_tour_is_tour_id( $id ) {
	return is_string( $id ) && wp_is_uuid( strtolower( $id ) );
}

/**
 * The iframe page's URL for a tour, with the view options the server understands.
 *
 * @param string $tour_id A tour id.
 * @param array  $options Any of scene, yaw, pitch, fov, autorotate, controls, branding.
 * @return string
 */
function vr_tour_embed_url( $tour_id, $options ) {
	$query = array();
	foreach ( array( 'scene', 'yaw', 'pitch', 'fov', 'autorotate', 'controls', 'branding' ) as $name ) {
		if ( isset( $options[ $name ] ) && '' !== $options[ $name ] ) {
			$query[ $name ] = (string) $options[ $name ];
		}
	}
	$url = vr_tour_server() . '/embed/' . rawurlencode( strtolower( $tour_id ) );
	return $query ? add_query_arg( array_map( 'rawurlencode', $query ), $url ) : $url;
}

/**
 * The iframe that shows a tour: the full width of its column at 16:9 unless a height is given.
 *
 * @param string $tour_id A tour id.
 * @param array  $options View options (see vr_tour_embed_url), and title and height (CSS pixels).
 * @return string HTML, or '' when the server is not set or the id is not a tour id.
 */
function vr_tour_iframe( $tour_id, $options = array() ) {
	if ( '' === vr_tour_server() || ! vr_tour_is_tour_id( $tour_id ) ) {
		return '';
	}
	$height = isset( $options['height'] ) ? absint( $options['height'] ) : 0;
	$style  = $height ? 'width:100%;height:' . $height . 'px;border:0' : 'width:100%;aspect-ratio:16/9;border:0';
	$title  = isset( $options['title'] ) && '' !== $options['title'] ? $options['title'] : __( '360° tour', 'vr-tour' );
	return sprintf(
		'<iframe class="vr-tour-embed" src="%1$s" title="%2$s" allow="%3$s" allowfullscreen loading="lazy" style="%4$s"></iframe>',
		esc_url( vr_tour_embed_url( $tour_id, $options ) ),
		esc_attr( $title ),
		esc_attr( VR_TOUR_IFRAME_ALLOW ),
		esc_attr( $style )
	);
}

/**
 * Renders the block: its attributes are the shortcode's.
 *
 * @param array $attributes The block's attributes.
 * @return string
 */
function vr_tour_render_block( $attributes ) {
	$tour_id = isset( $attributes['tourId'] ) ? (string) $attributes['tourId'] : '';
	$options = array(
		'branding' => ! empty( $attributes['unbranded'] ) ? 'off' : '',
		'height'   => isset( $attributes['height'] ) ? $attributes['height'] : 0,
	);
	$iframe  = vr_tour_iframe( $tour_id, $options );
	if ( '' === $iframe ) {
		return '';
	}
	return '<figure ' . get_block_wrapper_attributes() . '>' . $iframe . '</figure>';
}
